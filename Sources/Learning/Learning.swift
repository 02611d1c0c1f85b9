// Learning module (placeholder until implemented)
