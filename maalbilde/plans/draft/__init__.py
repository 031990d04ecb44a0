"""A plan file drafted from a strategy document an organisation already has (PDF, Word or
text): its structure from the headings and lists, its targets from the goals' sentences, by
rules that say what they guessed (docs/plan-draft.md)."""
