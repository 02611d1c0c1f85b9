// Wire module (placeholder until implemented)
