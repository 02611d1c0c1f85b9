// Broker module (placeholder until implemented)
