"""The floor-plan conversion editor (issue 5): see view.FloorPlanView and the README, "Floor plan"."""
