package garage

import (
	"context"

	"github.com/gogarage/garage/node/rt"
)

// registerMaintenance installs the handlers of workers, repairs, blocks
// and statistics.
func (n *Node) registerMaintenance(net rt.Net) {
	net.Handle(EndpointWorkerList, handler(EndpointWorkerList, func(_ context.Context, r WorkerListRequest) (WorkerListReply, error) {
		return n.WorkerList(r)
	}))
	net.Handle(EndpointWorkerGet, handler(EndpointWorkerGet, func(_ context.Context, r WorkerVarRequest) (WorkerVarReply, error) {
		vars, err := n.WorkerVars(r.Name)
		return WorkerVarReply{Vars: vars}, err
	}))
	net.Handle(EndpointWorkerSet, handler(EndpointWorkerSet, func(_ context.Context, r WorkerVarRequest) (WorkerVarReply, error) {
		v, err := n.SetWorkerVar(r.Name, r.Value)
		return WorkerVarReply{Vars: []WorkerVar{v}}, err
	}))
	net.Handle(EndpointRepair, handler(EndpointRepair, n.Repair))
	net.Handle(EndpointRepairState, handler(EndpointRepairState, func(_ context.Context, r RepairStateRequest) (RepairStatus, error) {
		return n.RepairState(r.What)
	}))
	net.Handle(EndpointStats, handler(EndpointStats, n.Stats))
	n.registerBlocks(net)
}

func (n *Node) registerBlocks(net rt.Net) {
	net.Handle(EndpointBlockErrors, handler(EndpointBlockErrors, func(context.Context, none) (BlockErrorsReply, error) {
		return n.BlockErrors()
	}))
	net.Handle(EndpointBlockInfo, handler(EndpointBlockInfo, func(ctx context.Context, r BlockRequest) (BlockInfoReply, error) {
		return n.BlockInfo(ctx, r.Hash)
	}))
	net.Handle(EndpointBlockRetry, handler(EndpointBlockRetry, func(_ context.Context, r BlocksRequest) (BlockRetryReply, error) {
		return n.BlockRetryNow(r)
	}))
	net.Handle(EndpointBlockPurge, handler(EndpointBlockPurge, n.BlockPurge))
}
