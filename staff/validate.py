"""The project's own data checks, then `rasa data validate --fail-on-warnings`.

The project's checks (staff/checks.py) name the file and line of each problem and
say how to fix it; a YAML syntax error stops there, since Rasa could not read the data.
The articles' passages are checked too (knowledge/check.py): each translated, its
Chinese reviewed against the English as it is now, and true to its source .txt.

Rasa's validator warns about every response no story or rule mentions, including the
questions forms ask (`utter_ask_<slot>`), the dialogue fallback's `utter_default` and
the responses custom actions send. Those are used; any other warning fails the check.

    python -m staff.validate [data folder]

The data folder (domain.yml, config.yml, data/) is the project's unless given: the
console's EDITING_PROJECT_DIR is checked the same way, against this tree's code.
"""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

from rasa.shared.importers.importer import TrainingDataImporter
from rasa.validator import Validator

from knowledge.check import run_checks as knowledge_problems
from staff.checks import ROOT, print_problems, rule_intents, run_checks, said_by_code

UNUSED = re.compile(r"The utterance '(?P<name>[\w/]+)' is not used in any story")


def said_by_actions(domain) -> set[str]:
    """Responses sent by forms, the default fallback and our custom actions."""
    asked = {
        name
        for form_name, form in domain.forms.items()
        for slot in form.get("required_slots", [])
        for name in (f"utter_ask_{slot}", f"utter_ask_{form_name}_{slot}")
    }
    return asked | {"utter_default"} | said_by_code(ROOT)


def unused_responses(validator: Validator) -> list[str]:
    """Responses no story, rule, form or action uses (Rasa's check, less its noise)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validator.verify_utterances_in_stories(ignore_warnings=True)
    unused = [m.group("name") for w in caught if (m := UNUSED.search(str(w.message)))]
    known = said_by_actions(validator.domain)
    return [name for name in unused if name not in known]


NO_EXAMPLES = re.compile(
    r"The intent '(?P<name>\w+)' is listed in the domain file, but is not found in "
    r"the NLU training data"
)


def intents_check(validator: Validator) -> bool:
    """Rasa's intent check, but an intent a rule component sets needs no examples."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validator.verify_intents_in_stories(ignore_warnings=True)
    by_rule = rule_intents(ROOT)
    problems = [
        str(w.message)
        for w in caught
        if not ((m := NO_EXAMPLES.search(str(w.message))) and m["name"] in by_rule)
        and "is not used in any story" not in str(w.message)
    ]
    for problem in problems:
        print(problem, file=sys.stderr)
    return not problems


def main() -> int:
    """Runs our checks and Rasa's, failing on warnings; returns 1 if any fails."""
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT
    problems = run_checks(root)
    errors = print_problems(problems + knowledge_problems())
    if any("not valid YAML" in p.message for p in problems):
        return 1
    importer = TrainingDataImporter.load_from_config(
        str(root / "config.yml"), str(root / "domain.yml"), [str(root / "data")]
    )
    validator = Validator.from_importer(importer)
    # What `rasa data validate --fail-on-warnings` runs, with the response check above.
    checks = [
        validator.verify_domain_validity(),
        validator.verify_actions_in_stories_rules(),
        validator.verify_forms_in_stories_rules(),
        validator.verify_form_slots(),
        validator.verify_slot_mappings(),
        intents_check(validator),
        validator.verify_example_repetition_in_intents(ignore_warnings=False),
        validator.verify_story_structure(ignore_warnings=False),
    ]
    unused = unused_responses(validator)
    for name in unused:
        print(f"The response '{name}' is not used anywhere.", file=sys.stderr)
    if errors or not all(checks) or unused:
        print("Validation failed: see the warnings above.", file=sys.stderr)
        return 1
    print("Training data, domain and the articles' passages are valid.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
