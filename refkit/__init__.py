"""refkit: keep the references of a document honest."""

__version__ = "0.1.0"
