"""The organisation tree: head office, regions, departments and stores."""
