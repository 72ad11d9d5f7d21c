"""Operations (projects), their need, lots, consultation and sharing with an AMO firm."""
