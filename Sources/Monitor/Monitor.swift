// Monitor module (placeholder until implemented)
