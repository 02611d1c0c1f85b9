// Firm module (placeholder until implemented)
