// Placeholder so the package builds; replaced by the Plot implementation.
