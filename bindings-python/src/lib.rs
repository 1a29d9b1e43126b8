//! Python bindings of the `instasent` core (module `instasent._instasent`). Only translation
//! lives here: argument conversion, one error mapping, and the runtime bridge.

mod aio;
mod bulk;
mod client;
mod convert;
mod dlr;
mod encoding;
mod error;
mod interrupt;
mod logging;
mod paging;
mod sandbox;
mod shutdown;
mod types;

use pyo3::prelude::*;

#[pymodule]
fn _instasent(m: &Bound<'_, PyModule>) -> PyResult<()> {
    error::register(m)?;
    shutdown::register(m)?;
    logging::register(m.py());
    m.add_class::<client::Client>()?;
    m.add_class::<aio::AsyncClient>()?;
    m.add_class::<sandbox::Sandbox>()?;
    m.add_class::<types::Message>()?;
    m.add_class::<types::Sms>()?;
    m.add_class::<types::Lookup>()?;
    m.add_class::<types::Account>()?;
    m.add_class::<types::CountryPrice>()?;
    m.add_class::<types::Verify>()?;
    m.add_class::<types::ItemResult>()?;
    m.add_class::<types::Progress>()?;
    m.add_class::<bulk::Campaign>()?;
    m.add_class::<bulk::AsyncCampaign>()?;
    m.add_class::<paging::SmsIterator>()?;
    m.add_class::<paging::LookupIterator>()?;
    m.add_class::<paging::AsyncSmsIterator>()?;
    m.add_class::<paging::AsyncLookupIterator>()?;
    m.add_class::<encoding::Analysis>()?;
    m.add_class::<dlr::DeliveryReport>()?;
    m.add_class::<dlr::DeliveryTracker>()?;
    m.add_function(wrap_pyfunction!(encoding::segments, m)?)?;
    m.add_function(wrap_pyfunction!(encoding::smart_encode, m)?)?;
    m.add_function(wrap_pyfunction!(dlr::parse_dlr, m)?)?;
    m.add_function(wrap_pyfunction!(dlr::parse_smpp_receipt, m)?)?;
    m.add_function(wrap_pyfunction!(dlr::_delivery_report_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(dlr::_delivery_tracker_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(encoding::_analysis_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(types::_entity_from_raw, m)?)?;
    m.add_function(wrap_pyfunction!(types::_item_result, m)?)?;
    m.add_function(wrap_pyfunction!(types::_progress, m)?)?;
    m.add_function(wrap_pyfunction!(error::_error_class, m)?)?;
    m.add_function(wrap_pyfunction!(error::_error_codes, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEFAULT_BASE_URL", instasent::DEFAULT_BASE_URL)?;
    Ok(())
}
