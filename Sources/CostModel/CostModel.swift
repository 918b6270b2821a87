// Placeholder so the package builds; replaced by the CostModel implementation.
