"""A scenario: the model, reading its YAML safely (includes, sources), the JSON Schema, the
conditions language, wordings and what is known when."""
