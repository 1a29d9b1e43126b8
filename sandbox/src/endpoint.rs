//! Which endpoint of the API a request is for. The endpoint is also what rate limits are
//! counted by (docs: transactional-api/http/rate-limits: "scoped by organization and by
//! endpoint"): every variant has a window of its own.

use hyper::Method;

use crate::router::API_PREFIX;

/// A method and a route of the API, whatever the `{id}` in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    SmsCreate,
    SmsBulk,
    SmsList,
    SmsGet,
    SmsPrices,
    LookupCreate,
    LookupList,
    LookupGet,
    LookupPrices,
    Account,
    VerifyCreate,
    VerifyList,
    /// `GET /verify/{id}`, with or without `?token=`.
    VerifyGet,
    /// Any other method or path: answered 404, and counted in a window of its own so that it
    /// uses up no real endpoint's.
    NotFound,
}

impl Endpoint {
    pub const ALL: [Endpoint; 14] = [
        Endpoint::SmsCreate,
        Endpoint::SmsBulk,
        Endpoint::SmsList,
        Endpoint::SmsGet,
        Endpoint::SmsPrices,
        Endpoint::LookupCreate,
        Endpoint::LookupList,
        Endpoint::LookupGet,
        Endpoint::LookupPrices,
        Endpoint::Account,
        Endpoint::VerifyCreate,
        Endpoint::VerifyList,
        Endpoint::VerifyGet,
        Endpoint::NotFound,
    ];
    pub const COUNT: usize = Endpoint::ALL.len();

    /// Position in [`Endpoint::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A request's endpoint, and the `{id}` segment of the routes that have one.
pub struct Route {
    pub endpoint: Endpoint,
    pub id: String,
}

impl Route {
    pub fn of(method: &Method, path: &str) -> Route {
        let rest = path
            .strip_prefix(API_PREFIX)
            .filter(|r| r.is_empty() || r.starts_with('/'));
        let segments: Vec<&str> = rest
            .unwrap_or("/-")
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let get = method == Method::GET;
        let post = method == Method::POST;
        let mut id = String::new();
        let endpoint = match segments.as_slice() {
            _ if rest.is_none() => Endpoint::NotFound,
            ["sms"] if post => Endpoint::SmsCreate,
            ["sms"] if get => Endpoint::SmsList,
            ["sms", "bulk"] if post => Endpoint::SmsBulk,
            ["sms", "price-profile", "me", "countries"] if get => Endpoint::SmsPrices,
            ["sms", sms_id] if get => {
                id = sms_id.to_string();
                Endpoint::SmsGet
            }
            ["lookup"] if post => Endpoint::LookupCreate,
            ["lookup"] if get => Endpoint::LookupList,
            ["lookup", "price-profile", "me", "countries"] if get => Endpoint::LookupPrices,
            ["lookup", lookup_id] if get => {
                id = lookup_id.to_string();
                Endpoint::LookupGet
            }
            ["organization", "account"] if get => Endpoint::Account,
            ["verify"] if post => Endpoint::VerifyCreate,
            ["verify"] if get => Endpoint::VerifyList,
            ["verify", verify_id] if get => {
                id = verify_id.to_string();
                Endpoint::VerifyGet
            }
            _ => Endpoint::NotFound,
        };
        Route { endpoint, id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let r = Route::of(&Method::POST, "/transactional/v1/sms/bulk");
        assert_eq!(r.endpoint, Endpoint::SmsBulk);
        let r = Route::of(&Method::GET, "/transactional/v1/sms/abc/");
        assert_eq!((r.endpoint, r.id.as_str()), (Endpoint::SmsGet, "abc"));
        assert_eq!(
            Route::of(&Method::POST, "/transactional/v1/sms/").endpoint,
            Endpoint::SmsCreate
        );
        assert_eq!(
            Route::of(&Method::GET, "/transactional/v1x/sms").endpoint,
            Endpoint::NotFound
        );
        assert_eq!(
            Route::of(&Method::DELETE, "/transactional/v1/sms").endpoint,
            Endpoint::NotFound
        );
        assert_eq!(
            Route::of(&Method::GET, "/other").endpoint,
            Endpoint::NotFound
        );
    }

    #[test]
    fn every_endpoint_has_its_own_index() {
        for (i, endpoint) in Endpoint::ALL.iter().enumerate() {
            assert_eq!(endpoint.index(), i, "{endpoint:?}");
        }
    }
}
