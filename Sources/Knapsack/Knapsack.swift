// Placeholder so the package builds; replaced by the Knapsack implementation.
