// Topology module (placeholder until implemented)
