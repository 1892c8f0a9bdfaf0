"""The floor-plan conversion editor (issue 5): see view.FloorPlanView and README-section.md."""
