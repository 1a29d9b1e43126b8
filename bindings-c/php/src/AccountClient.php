<?php

namespace Instasent;

use Instasent\Internal\ApiClient;

/** The organisation's account. */
class AccountClient extends ApiClient
{
    /** GET /organization/account: `entity.available`, `entity.currency`. */
    public function getAccountBalance(): array
    {
        return $this->call(__METHOD__, 'get_account_balance');
    }
}
