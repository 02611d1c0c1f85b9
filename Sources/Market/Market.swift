// Market module (placeholder until implemented)
