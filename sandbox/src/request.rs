//! The parts of a request handlers read: query parameters, paging and the JSON body.

// The error of these helpers is the finished response, built once per request: boxing it would
// only add an allocation.
#![allow(clippy::result_large_err)]

use bytes::Bytes;
use hyper::StatusCode;
use serde_json::Value;

use crate::respond::{self, Resp};

pub struct Request {
    pub query: Vec<(String, String)>,
    pub body: Bytes,
}

/// Largest `per_page` a list accepts.
pub const MAX_PER_PAGE: u32 = 100;

impl Request {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `page` (default 1, ≥ 1) and `per_page` (default 10, 1..=100), or a 422.
    pub fn paging(&self) -> Result<(u32, u32), Resp> {
        let page = self.number("page", 1, 1, u32::MAX)?;
        let per_page = self.number("per_page", 10, 1, MAX_PER_PAGE)?;
        Ok((page, per_page))
    }

    fn number(&self, name: &str, default: u32, min: u32, max: u32) -> Result<u32, Resp> {
        let Some(raw) = self.param(name) else {
            return Ok(default);
        };
        match raw.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(respond::field_error(
                name,
                &format!("This value should be an integer between {min} and {max}."),
            )),
        }
    }

    /// The body parsed as JSON, or `400 Problems parsing JSON`.
    pub fn json(&self) -> Result<Value, Resp> {
        serde_json::from_slice(&self.body)
            .map_err(|_| respond::message(StatusCode::BAD_REQUEST, respond::PROBLEMS_PARSING_JSON))
    }

    /// The body as a JSON object, or a 400.
    pub fn json_object(&self) -> Result<serde_json::Map<String, Value>, Resp> {
        match self.json()? {
            Value::Object(map) => Ok(map),
            _ => Err(respond::message(
                StatusCode::BAD_REQUEST,
                respond::BODY_NOT_OBJECT,
            )),
        }
    }
}

/// The slice of `items` a page shows.
pub fn page_of<T>(items: &[T], page: u32, per_page: u32) -> &[T] {
    let start = (page as usize - 1).saturating_mul(per_page as usize);
    let start = start.min(items.len());
    let end = start.saturating_add(per_page as usize).min(items.len());
    &items[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(query: &[(&str, &str)]) -> Request {
        Request {
            query: query
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Bytes::new(),
        }
    }

    #[test]
    fn paging_defaults_and_bounds() {
        assert_eq!(req(&[]).paging().ok(), Some((1, 10)));
        assert_eq!(
            req(&[("page", "3"), ("per_page", "100")]).paging().ok(),
            Some((3, 100))
        );
        assert!(req(&[("per_page", "101")]).paging().is_err());
        assert!(req(&[("page", "0")]).paging().is_err());
        assert!(req(&[("page", "x")]).paging().is_err());
    }

    #[test]
    fn pages_slice_in_order() {
        let items: Vec<u32> = (1..=25).collect();
        assert_eq!(page_of(&items, 3, 10), &[21, 22, 23, 24, 25]);
        assert!(page_of(&items, 4, 10).is_empty());
    }
}
