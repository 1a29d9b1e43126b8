//! Python values ↔ JSON values and core request types, and the one conversion of each kind of
//! argument (integers, durations, text) that refuses what the core cannot take. No behaviour:
//! shapes only.

use std::ops::Deref;
use std::time::Duration;

use instasent::{ClientBuilder, SmsRequest};
use pyo3::exceptions::PyUnicodeEncodeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyIterator, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::error::invalid;

/// JSON → Python (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`).
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// `__reduce__` of a class pickled as the core's JSON form of `value`: unpickled by
/// `instasent._instasent.<restore>(json)`, which reads it back with [`from_pickled_json`].
pub fn reduce_to_json<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
    restore: &str,
) -> PyResult<(Bound<'py, PyAny>, (String,))> {
    let json =
        serde_json::to_string(value).map_err(|e| invalid(format!("could not be pickled: {e}")))?;
    let restore = py.import("instasent._instasent")?.getattr(restore)?;
    Ok((restore, (json,)))
}

/// A value pickled by [`reduce_to_json`]; anything else (a forged pickle) is
/// `InvalidArgumentError` naming `class`.
pub fn from_pickled_json<T: serde::de::DeserializeOwned>(json: &str, class: &str) -> PyResult<T> {
    serde_json::from_str(json).map_err(|e| invalid(format!("not a pickled {class}: {e}")))
}

/// Any serde value → Python, through JSON.
pub fn ser_to_py<'py, T: serde::Serialize>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(v).map_err(|e| invalid(e.to_string()))?;
    to_py(py, &value)
}

/// Python → JSON. Accepts what `json.dumps` accepts (dict keys must be strings).
pub fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    from_py_depth(obj, 0)
}

fn from_py_depth(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > 64 {
        return Err(invalid("the value is nested more than 64 levels deep"));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(invalid("an integer does not fit in 64 bits"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| invalid("NaN and infinity are not JSON"));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(string("a string in the value", s)?));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| invalid("dict keys must be strings"))?;
            let key = string("a key in the value", key)?;
            map.insert(key, from_py_depth(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for item in obj.try_iter()? {
            items.push(from_py_depth(&item?, depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    Err(invalid(format!(
        "{} is not a JSON value",
        obj.get_type().name()?
    )))
}

/// `messages` of `send_bulk`/`send_bulk_sms`/`campaign`, to iterate: anything iterable but a
/// dict, whose iteration (its keys) would be refused one key at a time as "not a dict".
pub fn message_iter<'py>(messages: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyIterator>> {
    if messages.is_instance_of::<PyDict>() {
        return Err(invalid(
            "messages must be an iterable of messages (dicts or instasent.Message), not a dict: \
             put a single message in a list",
        ));
    }
    messages.try_iter()
}

/// A message for `send_bulk`/`send_bulk_sms`: a dict with the API's field names (`from` or
/// `sender`, `to`, `text`, optional `clientId`/`client_id`, `allowUnicode`/`allow_unicode`),
/// or an `instasent.Message`. `index` is its place in the caller's input: a refusal names it
/// (`message 7: `to` must be a string`), as its result would (`index`).
pub fn message(obj: &Bound<'_, PyAny>, index: u64) -> PyResult<SmsRequest> {
    if let Ok(m) = obj.cast::<crate::types::Message>() {
        return Ok(m.get().inner.clone());
    }
    // Formatted only on the way out: this runs once per message of a campaign.
    let refused = |why: std::fmt::Arguments<'_>| invalid(format!("message {index}: {why}"));
    let type_name = |v: &Bound<'_, PyAny>| {
        v.get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default()
    };
    let d = obj.cast::<PyDict>().map_err(|_| {
        refused(format_args!(
            "must be a dict or instasent.Message, not {}",
            type_name(obj)
        ))
    })?;
    // One pass over the dict's few entries instead of a hash lookup per accepted spelling
    // (seven per message, most of them misses).
    let py = obj.py();
    let interned = [
        intern!(py, "from"),
        intern!(py, "sender"),
        intern!(py, "to"),
        intern!(py, "text"),
        intern!(py, "clientId"),
        intern!(py, "client_id"),
        intern!(py, "allowUnicode"),
        intern!(py, "allow_unicode"),
    ];
    let mut fields: [Option<Bound<'_, PyAny>>; FIELDS.len()] = Default::default();
    for (key, value) in d.iter() {
        if let Some(slot) = field_slot(&key, &interned) {
            fields[slot] = Some(value);
        }
    }
    // The API's spelling first, as a lookup in that order would find it.
    let [from, sender, to, text, client_id, client_id_snake, allow_unicode, allow_unicode_snake] =
        fields;
    let either = |first, second, first_key, second_key| {
        either(first, second, first_key, second_key).map_err(|both| refused(format_args!("{both}")))
    };
    let text_of = |value: Option<Bound<'_, PyAny>>, key: &str| -> PyResult<Option<String>> {
        match value {
            Some(v) if !v.is_none() => {
                let s = v.cast::<PyString>().map_err(|_| {
                    refused(format_args!(
                        "`{key}` must be a string, not {}",
                        type_name(&v)
                    ))
                })?;
                Ok(Some(string(format_args!("message {index}: `{key}`"), s)?))
            }
            _ => Ok(None),
        }
    };
    let needs = |key: &str| invalid(format!("message {index} needs `{key}`"));
    let (from, from_key) = either(from, sender, "from", "sender")?;
    let from = text_of(from, from_key)?.ok_or_else(|| needs("from"))?;
    let to = text_of(to, "to")?.ok_or_else(|| needs("to"))?;
    let text = text_of(text, "text")?.ok_or_else(|| needs("text"))?;
    let mut req = SmsRequest::new(from, to, text);
    let (client_id, client_id_key) = either(client_id, client_id_snake, "clientId", "client_id")?;
    req.client_id = text_of(client_id, client_id_key)?;
    let (allow_unicode, unicode_key) = either(
        allow_unicode,
        allow_unicode_snake,
        "allowUnicode",
        "allow_unicode",
    )?;
    // A bool, as `send(..., allow_unicode=)` takes: read by truth, a CSV's "false" or "0"
    // would have switched to UCS-2 (and a higher cost) without a word.
    if let Some(v) = allow_unicode.filter(|v| !v.is_none()) {
        req.allow_unicode = v.cast::<PyBool>().map(|b| b.is_true()).map_err(|_| {
            refused(format_args!(
                "`{unicode_key}` must be True or False, not {}",
                type_name(&v)
            ))
        })?;
    }
    Ok(req)
}

/// The one of a field's two spellings that is given, and its key; both at once is refused (the
/// same rule as Node, C and PHP), as neither could be said to win.
fn either<'py>(
    first: Option<Bound<'py, PyAny>>,
    second: Option<Bound<'py, PyAny>>,
    first_key: &'static str,
    second_key: &'static str,
) -> Result<(Option<Bound<'py, PyAny>>, &'static str), String> {
    match (first, second) {
        (Some(_), Some(_)) => Err(instasent::model::both_spellings_given(
            first_key, second_key,
        )),
        (None, Some(v)) => Ok((Some(v), second_key)),
        (v, None) => Ok((v, first_key)),
    }
}

/// The keys `message` reads, in the order of its slots (and of its interned names).
const FIELDS: [&str; 8] = [
    "from",
    "sender",
    "to",
    "text",
    "clientId",
    "client_id",
    "allowUnicode",
    "allow_unicode",
];

/// Which of [`FIELDS`] `key` is. Keys written in Python source are interned, so comparing
/// pointers with the interned names settles them; other keys (from `json.loads`, a CSV header)
/// are compared by content.
fn field_slot(
    key: &Bound<'_, PyAny>,
    interned: &[&Bound<'_, PyString>; FIELDS.len()],
) -> Option<usize> {
    if let Some(slot) = interned.iter().position(|name| name.is(key)) {
        return Some(slot);
    }
    let key = key.cast::<PyString>().ok()?.to_cow().ok()?;
    FIELDS.iter().position(|name| *name == key)
}

/// `Client(token, **options)` → a core builder. Unknown options are refused so a typo is loud.
pub fn builder(token: &str, options: Option<&Bound<'_, PyDict>>) -> PyResult<ClientBuilder> {
    let mut b = ClientBuilder::new(token);
    let Some(options) = options else {
        return Ok(b);
    };
    for (key, value) in options.iter() {
        let key = key.extract::<Str>()?;
        if value.is_none() {
            continue;
        }
        b = match &*key {
            "base_url" => b.base_url(value.extract::<Str>()?),
            "timeout" => b.timeout(seconds(&key, &value)?),
            "connect_timeout" => b.connect_timeout(seconds(&key, &value)?),
            "max_retries" => b.max_retries(whole(&key, &value)?),
            "concurrency" => b.bulk_concurrency(whole(&key, &value)?),
            "user_agent" => b.user_agent(value.extract::<Str>()?),
            "token_in_query" => b.token_in_query(value.extract::<bool>()?),
            "allow_insecure_http" => b.allow_insecure_http(value.extract::<bool>()?),
            "pacing" => b.pacing(value.extract::<bool>()?),
            other => {
                return Err(invalid(format!(
                    "unknown client option {other:?} (expected base_url, timeout, connect_timeout, \
                     max_retries, concurrency, user_agent, token_in_query, allow_insecure_http, pacing)"
                )))
            }
        };
    }
    Ok(b)
}

/// Seconds as a float (an int will do) → Duration; anything else, negative, NaN or absurd
/// values are refused.
pub fn seconds(what: &str, value: &Bound<'_, PyAny>) -> PyResult<Duration> {
    number(value)
        .and_then(|v| v.extract::<f64>().ok())
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            invalid(format!(
                "{what} must be a positive number of seconds, got {}",
                shown(value)
            ))
        })
}

/// A finite float argument (an int will do).
pub fn real(what: &str, value: &Bound<'_, PyAny>) -> PyResult<f64> {
    number(value)
        .and_then(|v| v.extract::<f64>().ok())
        .filter(|x| x.is_finite())
        .ok_or_else(|| invalid(format!("{what} must be a number, got {}", shown(value))))
}

/// The unsigned types integer arguments become. No argument takes more than 2³²−1, as in
/// Node: a count, a page or a time in seconds has no use for more.
pub trait Whole: TryFrom<u32> {
    const MAX: u32;
}

impl Whole for u16 {
    const MAX: u32 = u16::MAX as u32;
}

impl Whole for u32 {
    const MAX: u32 = u32::MAX;
}

impl Whole for usize {
    const MAX: u32 = u32::MAX;
}

/// The one conversion of an integer argument: anything but an int from 0 to `T::MAX` (a bool,
/// a float, a number out of range) is an InvalidArgumentError naming the argument and the
/// range, as Node and PHP answer INVALID_ARGUMENT, never an OverflowError. Whether 0 makes
/// sense is the core's call.
pub fn whole<T: Whole>(what: &str, value: &Bound<'_, PyAny>) -> PyResult<T> {
    whole_in(what, value, 0..=T::MAX)
}

/// [`whole`] for a number with a documented range (a page from 1, a page size 1–100): the
/// refusal states the range that can succeed, rather than "from 0" for a 0 the core then
/// refuses.
pub fn whole_in<T: Whole>(
    what: &str,
    value: &Bound<'_, PyAny>,
    range: std::ops::RangeInclusive<u32>,
) -> PyResult<T> {
    number(value)
        .and_then(|v| v.extract::<i64>().ok())
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| range.contains(n) && *n <= T::MAX)
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| {
            invalid(format!(
                "{what} must be a whole number from {} to {}, got {}",
                range.start(),
                range.end().min(&T::MAX),
                shown(value)
            ))
        })
}

/// A number argument, or None. A bool is not one (True is not 1 page or 1 second), as
/// `from_py` keeps JSON's booleans apart from its numbers.
fn number<'a, 'py>(value: &'a Bound<'py, PyAny>) -> Option<&'a Bound<'py, PyAny>> {
    (!value.is_instance_of::<PyBool>()).then_some(value)
}

/// A refused argument as the message shows it: its repr, cut short, or its type when even
/// that fails (an int of more than 4300 digits).
fn shown(value: &Bound<'_, PyAny>) -> String {
    const SHOWN: usize = 40;
    match value.repr() {
        Ok(repr) => {
            let repr = repr.to_string();
            match repr.char_indices().nth(SHOWN) {
                Some((cut, _)) => format!("{}…", &repr[..cut]),
                None => repr,
            }
        }
        Err(_) => value
            .get_type()
            .name()
            .map(|n| format!("an {n} too large to show"))
            .unwrap_or_default(),
    }
}

/// `#[pyo3(from_py_with = ...)]` conversions of the methods' integer parameters, through
/// [`whole`]: pyo3 hands them the value but not the parameter's name, which the refusal names.
pub mod arg {
    use pyo3::prelude::*;

    use instasent::PageRequest;

    use super::{whole, whole_in};

    pub fn page(value: &Bound<'_, PyAny>) -> PyResult<u32> {
        whole_in("page", value, 1..=u32::MAX)
    }

    pub fn per_page(value: &Bound<'_, PyAny>) -> PyResult<u32> {
        whole_in("per_page", value, 1..=PageRequest::MAX_PER_PAGE)
    }

    pub fn token_length(value: &Bound<'_, PyAny>) -> PyResult<u32> {
        whole("token_length", value)
    }

    pub fn timeout(value: &Bound<'_, PyAny>) -> PyResult<u32> {
        whole("timeout", value)
    }

    pub fn batch_size(value: &Bound<'_, PyAny>) -> PyResult<usize> {
        whole("batch_size", value)
    }

    /// None: the client's own concurrency.
    pub fn concurrency(value: &Bound<'_, PyAny>) -> PyResult<Option<usize>> {
        if value.is_none() {
            return Ok(None);
        }
        whole("concurrency", value).map(Some)
    }
}

/// A `str` as Rust text. A lone surrogate (what slicing UTF-16 in the middle of an emoji
/// leaves, say a JSON `"\ud83d"`) has no UTF-8 form: InvalidArgumentError, as C and PHP refuse
/// invalid UTF-8, never a UnicodeEncodeError. Never shows the text, which may be a token.
/// `what` is formatted only on that error path: a message's fields pass through here on every
/// send of a campaign.
pub fn string(what: impl std::fmt::Display, s: &Bound<'_, PyString>) -> PyResult<String> {
    match s.to_cow() {
        Ok(cow) => Ok(cow.into_owned()),
        Err(e) if e.is_instance_of::<PyUnicodeEncodeError>(s.py()) => {
            let at = e
                .value(s.py())
                .getattr("start")
                .and_then(|start| start.extract::<usize>())
                .map(|start| format!(" at index {start}"))
                .unwrap_or_default();
            Err(invalid(format!(
                "{what} is not valid Unicode: a lone surrogate{at}, half of a character such \
                 as an emoji"
            )))
        }
        Err(e) => Err(e),
    }
}

/// An argument that goes by two names: Instasent's Python SDK documents `get_sms_by_id(message_id)`
/// while every other `*_by_id` method here takes `id`, so both are taken. Exactly one.
pub fn one_of(
    method: &str,
    names: [&str; 2],
    first: Option<Str>,
    second: Option<Str>,
) -> PyResult<Str> {
    match (first, second) {
        (Some(value), None) | (None, Some(value)) => Ok(value),
        (Some(_), Some(_)) => Err(invalid(format!(
            "{method}() takes `{}` or `{}`, not both",
            names[0], names[1]
        ))),
        (None, None) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{method}() missing 1 required argument: '{}'",
            names[0]
        ))),
    }
}

/// A `str` argument, through [`string`]; anything else is a TypeError, as pyo3's `String` gives.
pub struct Str(String);

impl FromPyObject<'_, '_> for Str {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        let s = obj.cast::<PyString>()?;
        string("a string argument", &s).map(Str)
    }
}

impl Deref for Str {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<Str> for String {
    fn from(s: Str) -> String {
        s.0
    }
}
