// Placeholder so the package builds; replaced by the Search implementation.
