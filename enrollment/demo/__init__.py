"""Demo and generated data: a realistic centre year, and a country at scale.

`seed_demo` builds the demo province from `province`, `users`, `year`,
`partners`, `activities`, `feedback`, `historic_classes` and `plans`, mostly
through the application's services. `generate_data` runs the stages of
`generator`, which write plain rows for speed. Both draw names from `names`.
"""
