"""GET /metrics: Prometheus metrics of try-on jobs, AI usage and cost, computed from the database."""
