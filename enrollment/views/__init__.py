"""Staff pages of the enrollment app: one module per sub-domain."""
