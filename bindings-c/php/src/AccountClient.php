<?php

namespace Instasent;

use Instasent\Internal\ApiClient;

/** The organisation's account. */
class AccountClient extends ApiClient
{
    /** GET /organization/account: `entity.available`, `entity.currency`. */
    public function getAccountBalance(): array
    {
        return $this->call('get_account_balance');
    }
}
