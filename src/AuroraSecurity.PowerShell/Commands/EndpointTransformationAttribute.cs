using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>
    /// Lets -Endpoint (alias SqlInstance, as dbatools users type it) take a cluster object as well as a host name: an object
    /// with an Endpoint property (Get-AuroraCluster's, AWS.Tools' Get-RDSDBCluster or Get-RDSDBInstance output) gives its endpoint.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class EndpointTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = PSValue.Unwrap(inputData);
            if (value == null || value is string) return inputData;
            if (value is IEnumerable items && !(value is IDictionary))
            {
                var list = new List<object?>();
                foreach (var item in items) list.Add(EndpointOf(item));
                return list.ToArray();
            }

            return EndpointOf(inputData);
        }

        private static object? EndpointOf(object? item)
        {
            var value = PSValue.Unwrap(item);
            if (value == null || value is string) return item;
            var wrapped = PSObject.AsPSObject(value);
            var endpoint = wrapped.Properties["Endpoint"]?.Value;
            if (endpoint is PSObject inner) endpoint = inner.BaseObject;
            if (endpoint is string text && text.Length > 0) return text;

            // AWS.Tools' DBInstance carries Endpoint as an object with Address and Port.
            var address = endpoint == null ? null : PSObject.AsPSObject(endpoint).Properties["Address"]?.Value as string;
            if (!string.IsNullOrEmpty(address)) return address;
            throw new ArgumentTransformationMetadataException(
                $"A {value.GetType().Name} has no endpoint to connect to. Give a host name, or a cluster from Get-AuroraCluster (whose Endpoint is set once the cluster is available).");
        }
    }
}
