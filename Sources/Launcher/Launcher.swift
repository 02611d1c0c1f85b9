// Launcher module (placeholder until implemented)
