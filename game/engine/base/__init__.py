"""Small helpers every layer uses: problems and their marks, ids, digests, safe file writing, text
for terminals and spreadsheets, exact statistics."""
