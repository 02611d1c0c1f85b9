// Bus module (placeholder until implemented)
