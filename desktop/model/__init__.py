from desktop.model.engine import evaluate
