//! Delivery reports: webhook JSON, SMPP receipts and Insider callback events, normalised into one
//! [`DeliveryReport`]. PLACEHOLDER: owned by the DLR work in progress.
