//! `GET /organization/account` and the price profiles.

use reqwest::Method;

use super::{entities, entity, response, Client};
use crate::error::Result;
use crate::http::ApiRequest;
use crate::model::{Account, CountryPrice, Response};

fn get(path: &str, endpoint: &'static str) -> ApiRequest {
    ApiRequest {
        method: Method::GET,
        path: path.into(),
        query: vec![],
        body: None,
        endpoint,
    }
}

impl Client {
    /// `GET /organization/account`: available balance and currency.
    pub async fn get_account_balance(&self) -> Result<Response<Account>> {
        let raw = self
            .execute(get("/organization/account", "GET /organization/account"))
            .await?;
        response(raw, entity::<Account>)
    }

    /// `GET /sms/price-profile/me/countries`: price of one SMS segment per country.
    pub async fn get_sms_price_profile(&self) -> Result<Response<Vec<CountryPrice>>> {
        let raw = self
            .execute(get(
                "/sms/price-profile/me/countries",
                "GET /sms/price-profile/me/countries",
            ))
            .await?;
        response(raw, entities::<CountryPrice>)
    }

    /// `GET /lookup/price-profile/me/countries`: price of one lookup per country.
    pub async fn get_lookup_price_profile(&self) -> Result<Response<Vec<CountryPrice>>> {
        let raw = self
            .execute(get(
                "/lookup/price-profile/me/countries",
                "GET /lookup/price-profile/me/countries",
            ))
            .await?;
        response(raw, entities::<CountryPrice>)
    }
}
