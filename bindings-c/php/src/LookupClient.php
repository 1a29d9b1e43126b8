<?php

namespace Instasent;

use Instasent\Internal\ApiClient;

/** HLR lookups: is a number valid, which network, ported. */
class LookupClient extends ApiClient
{
    /** POST /lookup */
    public function doLookup(string $to): array
    {
        return $this->call('do_lookup', $to);
    }

    /** GET /lookup/{id} */
    public function getLookupById(string $id): array
    {
        return $this->call('get_lookup_by_id', $id);
    }

    /** GET /lookup?page=&per_page= */
    public function getLookups(int $page = 1, int $perPage = 10): array
    {
        return $this->call('get_lookups', $page, $perPage);
    }

    /** GET /lookup/price-profile/me/countries */
    public function getLookupPriceProfile(): array
    {
        return $this->call('get_lookup_price_profile');
    }
}
