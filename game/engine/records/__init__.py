"""What is kept on disk: crash-safe saves, result records, the match store, class folders and the
catalogue of scenarios."""
