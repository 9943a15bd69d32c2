using System;
using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.Repair
{
    /// <summary>The accounts a repair of AURSEC-SQL-001 gives REQUIRE SSL: the login accounts the check counts (not reserved, not roles) that lack it.</summary>
    public static class AccountTlsRepair
    {
        /// <summary>The accounts without a TLS requirement, in the order read; reserved accounts and roles are never touched.</summary>
        public static IReadOnlyList<UserSslStatus> AccountsWithoutTls(IEnumerable<DbUser> accounts, string? masterUser)
        {
            if (accounts == null) throw new ArgumentNullException(nameof(accounts));
            return accounts.Select(a => new UserSslStatus(a, masterUser ?? string.Empty)).Where(s => !s.Compliant).ToList();
        }
    }
}
