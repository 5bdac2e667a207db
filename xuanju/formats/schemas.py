"""Loading the JSON Schemas and wording their violations in Chinese."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, ValidationError

from xuanju.formats.errors import InputError, Located, json_path

MAX_REPORTED = 20

_TYPE_NAMES = {
    "object": "对象（{…}）",
    "array": "数组（[…]）",
    "string": "字符串",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "null": "null",
}


@cache
def schema(name: str) -> dict[str, Any]:
    """The schema ``schemas/<name>.schema.json`` shipped with the package."""
    text = files("xuanju.formats").joinpath("schemas", f"{name}.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name))


@cache
def _fast_validator(name: str) -> Any:
    """The same schema compiled to Python by fastjsonschema: about 100 times faster on a large
    round, but it stops at the first error, so jsonschema words the errors."""
    return fastjsonschema.compile(schema(name))


def loads_json(text: str) -> Any:
    """Parse JSON text, turning a syntax error into a Chinese message with line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            [
                Located(
                    "$",
                    f"不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列附近有语法错误（{error.msg}）",
                )
            ]
        ) from None


def check(instance: Any, name: str) -> None:
    """Raise :class:`InputError` naming every place where ``instance`` breaks schema ``name``."""
    try:
        _fast_validator(name)(instance)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    errors = sorted(
        _validator(name).iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.validator)
    )
    if errors:
        # jsonschema reports one "required" error per missing key; each is worded for all of them
        located = list(dict.fromkeys(_located(e) for e in errors))
        raise InputError(located[:MAX_REPORTED])


def _located(error: ValidationError) -> Located:
    path = json_path(list(error.absolute_path))
    value: Any = error.validator_value
    instance: Any = error.instance
    match error.validator:
        case "type":
            expected = value if isinstance(value, list) else [value]
            message = "应为" + "或".join(_TYPE_NAMES.get(str(t), str(t)) for t in expected)
        case "required":
            missing = [key for key in value if isinstance(instance, dict) and key not in instance]
            message = "缺少必填字段 " + "、".join(f"“{key}”" for key in missing)
        case "additionalProperties":
            known = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
            extra = [key for key in instance if key not in known] if isinstance(instance, dict) else []
            message = "有不认识的字段 " + "、".join(f"“{key}”" for key in extra)
        case "const":
            message = f"应为 “{value}”，实际是 {json.dumps(instance, ensure_ascii=False)}"
        case "enum":
            message = (
                "应为以下之一："
                + "、".join(f"“{v}”" for v in value)
                + f"，实际是 {json.dumps(instance, ensure_ascii=False)}"
            )
        case "minimum":
            message = f"不能小于 {value}，实际是 {instance}"
        case "maximum":
            message = f"不能大于 {value}，实际是 {instance}"
        case "minLength":
            message = "不能为空"
        case "minItems":
            message = f"至少需要 {value} 项"
        case "pattern" if error.absolute_path and error.absolute_path[-1] == "id":
            message = f"编号不能以 “w:” 开头（“w:” 留给另选他人），实际是 “{instance}”"
        case _:
            message = f"不符合格式要求（{error.validator}）"
    return Located(path, message)
