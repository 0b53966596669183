"""The portal's side of search: listings to index documents, index sync after commit, and the search service."""
