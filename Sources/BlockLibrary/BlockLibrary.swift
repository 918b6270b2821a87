// Placeholder so the package builds; replaced by the BlockLibrary implementation.
