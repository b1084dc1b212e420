"""Operations: request ids, JSON logs, Prometheus metrics, health and readiness.

See docs/operations.md.
"""
