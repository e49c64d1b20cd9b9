"""The `${{ }}` expression language: lexer, parser, evaluator, functions. Pure."""
