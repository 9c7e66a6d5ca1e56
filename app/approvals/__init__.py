"""Generic approval workflow: rules per document type, approvers from the org tree, requests."""
