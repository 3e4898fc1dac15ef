"""A fixed-score engine for protocol tests and benchmarks. It never looks at a face: do not use it to judge one."""

from . import CompareInput

CONSTANT_SCORE = 88.0


class ConstantEngine:
    """Answers ``score`` for every valid request; request, base64, size and header checks still run before it."""

    name = "constant"

    def __init__(self, score: float = CONSTANT_SCORE) -> None:
        self.score = score

    def compare(self, request: CompareInput) -> float:
        """The fixed score."""
        return self.score
