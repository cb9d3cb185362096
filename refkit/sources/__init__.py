"""Where evidence comes from: the Crossref REST API or local snapshots of its records, behind one interface."""
