"""Plans: the list of plans, their conversions' commercial terms, the timeline, the market panel."""
