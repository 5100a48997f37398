"""Pages of disputes and warranty claims: the seller centre, the buyer's cases, evidence files."""
