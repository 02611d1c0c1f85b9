// Dataset module (placeholder until implemented)
