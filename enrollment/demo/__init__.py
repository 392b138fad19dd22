"""Demo and generated data: a realistic centre year, and a country at scale."""
