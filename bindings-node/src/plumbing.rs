//! The objects `lib/client.js` drives (a campaign, a pager) are plain objects of functions
//! rather than napi classes. napi declares every class in index.d.ts as an export of the package,
//! and these are only the JS layer's plumbing: `index.js` does not export them, so declaring them
//! would let `import { Campaign } from 'instasent'` type-check and then fail.

use std::future::Future;

use napi::bindgen_prelude::{FunctionCallContext, JsObjectValue, Object, ToNapiValue, Unknown};
use napi::{sys, Env, JsValue};

pub struct Plumbing<'env> {
    env: &'env Env,
    object: Object<'env>,
}

impl<'env> Plumbing<'env> {
    pub fn new(env: &'env Env) -> napi::Result<Self> {
        Ok(Plumbing {
            env,
            object: Object::new(env)?,
        })
    }

    /// A function that answers at once.
    pub fn sync<R: ToNapiValue>(
        &mut self,
        name: &str,
        f: impl Fn(&FunctionCallContext) -> napi::Result<R> + 'static,
    ) -> napi::Result<()> {
        // The argument types are only declared for calls from Rust; JS passes what it passes.
        let function = self
            .env
            .create_function_from_closure::<Unknown, _, _>(name, move |ctx| f(&ctx))?;
        self.object.set_named_property(name, function)
    }

    /// A function that returns a promise of what `f`'s future resolves to, polled on the core's
    /// runtime like the future of an `async fn` method (see `runtime`).
    pub fn promise<T, F>(
        &mut self,
        name: &str,
        f: impl Fn(&FunctionCallContext) -> napi::Result<F> + 'static,
    ) -> napi::Result<()>
    where
        T: ToNapiValue + Send + 'static,
        F: Future<Output = napi::Result<T>> + Send + 'static,
    {
        self.sync(name, move |ctx| -> napi::Result<sys::napi_value> {
            Ok(ctx.env.spawn_future(f(ctx)?)?.raw())
        })
    }

    pub fn build(self) -> Object<'env> {
        self.object
    }
}
