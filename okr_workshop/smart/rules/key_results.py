"""Rules on one key result: is it measurable, specific, relevant, achievable and time-bound?"""

from __future__ import annotations

import re

from okr_workshop.smart.rules.base import KeyResultFacts, Rule, register

_VAGUE = re.compile(
    r"\b(improv\w*|better|more|enhanc\w*|optimi[sz]\w*|strengthen\w*|streamlin\w*|boost\w*|increas\w*|"
    r"reduc\w*|great(?:er)?|good|best|world[- ]class|significant\w*|substantial\w*|excellent|robust|seamless|"
    r"various|several|some|many|lots? of|as (?:much|many) as possible|faster|quicker|higher|lower|less|fewer)\b",
    re.I,
)


def _number(value: float) -> str:
    """A number as people write it: 1,200,000 rather than 1.2e+06, 4.5 rather than 4.500000."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"


def _unit_hint(facts: KeyResultFacts) -> str:
    return f" {facts.parsed.unit}" if facts.parsed.unit else ""


@register
class NoNumber(Rule):
    """The key result has no number, so nobody can tell when it is reached.

    Weak: Improve the onboarding experience
    Better: Raise onboarding completion from 62% to 80%
    """

    code = "measurable.no-number"
    criterion = "measurable"
    severity = "error"

    def check(self, facts: KeyResultFacts):
        """Flag a title with no number, amount or baseline at all."""
        parsed = facts.parsed
        if not parsed.numbers and not parsed.quantified and parsed.start is None:
            yield (
                f"{facts.quoted} has no number, so nobody can tell when it is done.",
                f"Name the metric and the level to reach: “{facts.title.strip().rstrip('.')} from <today's "
                f"value> to <target>”, e.g. a count, a percentage or a time.",
            )


@register
class NoTarget(Rule):
    """The key result mentions a number or a baseline but no target to reach.

    Weak: NPS (currently 38)
    Better: Raise NPS from 38 to 45
    """

    code = "measurable.no-target"
    criterion = "measurable"
    severity = "error"

    def check(self, facts: KeyResultFacts):
        """Flag a title that has a number or a starting value but no level to reach."""
        parsed = facts.parsed
        if not parsed.quantified and (parsed.numbers or parsed.start is not None):
            start = f" from {_number(parsed.start)}" if parsed.start is not None else ""
            yield (
                f"{facts.quoted} gives no target: it says where things stand, not where they should get to.",
                f"Add the level to reach by the end of the quarter: “…{start} to <target>{_unit_hint(facts)}”.",
            )


@register
class NoBaseline(Rule):
    """A changing metric has a target but no starting value, so progress cannot be scored.

    A count of new things ("Sign 3 partners", "Publish 5 articles") starts at
    0 and needs no baseline; nor does a frequency ("every week").

    Weak: Reach 2,000 weekly active users
    Better: Grow weekly active users from 1,400 to 2,000
    """

    code = "measurable.no-baseline"
    criterion = "measurable"
    severity = "info"

    def check(self, facts: KeyResultFacts):
        """Flag an outcome that moves towards a target without saying where it starts."""
        parsed = facts.parsed
        moving = parsed.target is not None or parsed.change is not None
        if moving and parsed.start is None and not parsed.from_zero and parsed.direction != "steady" \
                and facts.kind.kind == "outcome":
            target = f"{_number(parsed.target)}{_unit_hint(facts)}" if parsed.target is not None else "the target"
            yield (
                f"{facts.quoted} names {target} but not where it starts, so progress cannot be scored.",
                f"Add today's value: “from <current value> to {target}” (or fill the start column).",
            )


@register
class VagueWords(Rule):
    """Vague words ("improve", "better", "more") with no number say a direction, not a result.

    Weak: Better support quality
    Better: Lift CSAT for support tickets from 82% to 90%
    """

    code = "specific.vague-words"
    criterion = "specific"

    def check(self, facts: KeyResultFacts):
        """Flag vague words such as 'improve' when no amount says by how much."""
        parsed = facts.parsed
        if parsed.numbers or parsed.change is not None or parsed.quantity_phrase is not None:
            return  # an amount is given: the words are not vague
        match = _VAGUE.search(facts.title)
        if match:
            yield (
                f"{facts.quoted} says “{match.group(0)}” without saying how much.",
                f"Replace “{match.group(0)}” with the measure that shows it and a target, e.g. "
                f"“raise <metric> from <now> to <target>”.",
            )


@register
class OutputNotOutcome(Rule):
    """The key result counts work done (an output) rather than the result the work should bring.

    Weak: Launch the referral page
    Better: Bring 300 sign-ups through referrals
    """

    code = "relevant.output-not-outcome"
    criterion = "relevant"

    def check(self, facts: KeyResultFacts):
        """Flag a key result that reads as work to do rather than a result."""
        if facts.kind.kind == "output":
            yield (
                f"{facts.quoted} describes work to do, not a result: {facts.kind.reason}.",
                f"Keep {facts.quoted} as an initiative and ask what it should change for customers or the "
                f"business; measure that change (more sign-ups, fewer tickets, less time, more revenue).",
            )


@register
class SteadyKpi(Rule):
    """Keeping a metric where it is is a health metric (KPI) to watch, not a key result to move.

    Weak: Keep fleet availability above 95%
    Better: Raise fleet availability from 95% to 98% through the winter
    """

    code = "relevant.kpi-kept-steady"
    criterion = "relevant"

    def check(self, facts: KeyResultFacts):
        """Flag a key result that only keeps a metric where it is."""
        if facts.parsed.direction == "steady":
            yield (
                f"{facts.quoted} keeps a metric steady: that is a KPI to monitor, not a change to achieve.",
                "Watch it on a dashboard, or state the improvement you want this quarter "
                "(from today's level to a better one).",
            )


@register
class NotTimeBound(Rule):
    """Neither the objective's quarter, a due date nor the text says by when.

    Weak: Cut churn from 4.8% to 3.5%   (objective without a quarter)
    Better: Cut churn from 4.8% to 3.5% by the end of Q4
    """

    code = "time_bound.no-date"
    criterion = "time_bound"
    severity = "error"

    def check(self, facts: KeyResultFacts):
        """Flag a key result with no due date, deadline or quarter to fall due in."""
        objective = facts.objective
        if facts.parsed.due is None and facts.parsed.time_phrase is None and not (objective and objective.quarter):
            yield (
                f"{facts.quoted} has no quarter, due date or deadline, so it never falls due.",
                "Give the objective a quarter (e.g. 2026-Q4) or the key result a due date, or say it in the "
                "text: “… by 31 December”.",
            )


@register
class DueOutsideQuarter(Rule):
    """The key result falls due outside its objective's quarter.

    Weak: Sign 10 partner cafés (due 2027-01-31, objective in 2026-Q4)
    Better: Sign 10 partner cafés by 31 December
    """

    code = "time_bound.due-outside-quarter"
    criterion = "time_bound"

    def check(self, facts: KeyResultFacts):
        """Flag a due date that falls outside the objective's quarter."""
        objective = facts.objective
        due = facts.parsed.due
        if due and objective and objective.quarter_span:
            first, last = objective.quarter_span
            if not first <= due <= last:
                yield (
                    f"{facts.quoted} is due {due.isoformat()}, outside {objective.quarter} "
                    f"({first.isoformat()} to {last.isoformat()}).",
                    "Bring the due date inside the quarter, or move the key result to the quarter it belongs to.",
                )


@register
class ImplausibleStretch(Rule):
    """The target is many times the baseline: a goal nobody believes in stops guiding work.

    Weak: Grow partner cafés from 3 to 60
    Better: Grow partner cafés from 3 to 12
    """

    code = "achievable.implausible-stretch"
    criterion = "achievable"
    growth = 5.0
    """A rise to this many times the start is implausible in a quarter..."""
    cut = 10.0
    """...and so is a fall to a tenth or less."""

    def check(self, facts: KeyResultFacts):
        """Flag a target so far above or below its baseline that nobody can believe in it."""
        start, target = facts.parsed.start, facts.parsed.target
        if start is None or target is None or start <= 0 or target <= 0 or facts.parsed.unit in ("%", "pp"):
            return
        ratio = max(target / start, start / target)
        if (target > start and ratio >= self.growth) or (target < start and ratio >= self.cut):
            yield (
                f"{facts.quoted} asks for "
                + (f"a cut to 1/{ratio:.0f} of" if target < start else f"{ratio:.0f} times")
                + f" the starting value ({_number(start)} to {_number(target)}) in one quarter.",
                "Check it against what the team achieved before; a stretch of 1.5 to 2 times is bold, "
                "more than 5 times rarely happens in a quarter.",
            )


@register
class NoChange(Rule):
    """Start and target are the same: reaching the key result changes nothing.

    Weak: Support tickets per week from 120 to 120
    Better: Cut support tickets per week from 120 to 90
    """

    code = "achievable.no-change"
    criterion = "achievable"

    def check(self, facts: KeyResultFacts):
        """Flag a key result whose target equals its starting value."""
        start, target = facts.parsed.start, facts.parsed.target
        if start is not None and target is not None and start == target and facts.parsed.direction != "steady":
            yield (
                f"{facts.quoted} starts and ends at {_number(start)}: it is met on day one and its progress "
                f"cannot be scored.",
                "Set the target to the level you want to reach, or keep the metric as a KPI.",
            )


@register
class CommittedLowConfidence(Rule):
    """A key result of a committed objective with low confidence: committed means expected in full.

    Weak: Committed objective, key result at confidence 0.2
    Better: Make it aspirational, or cut the target to what the team can commit to
    """

    code = "achievable.committed-low-confidence"
    criterion = "achievable"
    threshold = 0.5

    def check(self, facts: KeyResultFacts):
        """Flag a committed key result whose latest confidence is below the threshold."""
        objective = facts.objective
        if objective and objective.commitment == "committed" and facts.confidence is not None \
                and facts.confidence < self.threshold:
            yield (
                f"{facts.quoted} belongs to a committed objective but its confidence is {facts.confidence:g}.",
                "A committed objective is expected at 1.0: lower the target to what you can promise, add help, "
                "or make the objective aspirational.",
            )
