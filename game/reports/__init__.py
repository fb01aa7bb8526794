"""Reports as documents: built once from engine data, written as text, Markdown or HTML.

Every piece of scenario or student text passes through one writer's escaping, so no format can
be injected through a rationale or a scenario field.
"""
