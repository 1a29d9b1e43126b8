<?php

namespace Instasent;

use Instasent\Internal\ApiClient;

/** HLR lookups: is a number valid, which network, ported. */
class LookupClient extends ApiClient
{
    /** POST /lookup */
    public function doLookup(string $to): array
    {
        return $this->call(__METHOD__, 'do_lookup', ['to' => $to]);
    }

    /** GET /lookup/{id} */
    public function getLookupById(string $id): array
    {
        return $this->call(__METHOD__, 'get_lookup_by_id', ['id' => $id]);
    }

    /** GET /lookup?page=&per_page= */
    public function getLookups(int $page = 1, int $perPage = 10): array
    {
        return $this->call(__METHOD__, 'get_lookups', ['page' => $page, 'perPage' => $perPage]);
    }

    /** GET /lookup/price-profile/me/countries */
    public function getLookupPriceProfile(): array
    {
        return $this->call(__METHOD__, 'get_lookup_price_profile');
    }
}
