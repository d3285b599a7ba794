package garage

import "context"

// WorkerList lists the node's workers that req's filters keep.
func (a *Admin) WorkerList(ctx context.Context, req WorkerListRequest) ([]WorkerInfo, error) {
	rep, err := callJSON[WorkerListReply](ctx, a, EndpointWorkerList, req)
	return rep.Workers, err
}

// WorkerVars returns the value of a worker variable, or of all (name "").
func (a *Admin) WorkerVars(ctx context.Context, name string) ([]WorkerVar, error) {
	rep, err := callJSON[WorkerVarReply](ctx, a, EndpointWorkerGet, WorkerVarRequest{Name: name})
	return rep.Vars, err
}

// SetWorkerVar sets a worker variable and returns its new value.
func (a *Admin) SetWorkerVar(ctx context.Context, name, value string) (WorkerVar, error) {
	rep, err := callJSON[WorkerVarReply](ctx, a, EndpointWorkerSet, WorkerVarRequest{Name: name, Value: value})
	if err != nil || len(rep.Vars) != 1 {
		return WorkerVar{}, err
	}
	return rep.Vars[0], nil
}

// Repair launches a repair on the node, or on every node.
func (a *Admin) Repair(ctx context.Context, req RepairRequest) (RepairReply, error) {
	return callJSON[RepairReply](ctx, a, EndpointRepair, req)
}

// RepairState returns the state of a repair on the node.
func (a *Admin) RepairState(ctx context.Context, what string) (RepairStatus, error) {
	return callJSON[RepairStatus](ctx, a, EndpointRepairState, RepairStateRequest{What: what})
}

// Stats returns the node's statistics, or every node's, and the
// cluster's.
func (a *Admin) Stats(ctx context.Context, req StatsRequest) (StatsReply, error) {
	return callJSON[StatsReply](ctx, a, EndpointStats, req)
}

// BlockErrors lists the node's blocks whose resync keeps failing.
func (a *Admin) BlockErrors(ctx context.Context) ([]BlockErrorInfo, error) {
	rep, err := callJSON[BlockErrorsReply](ctx, a, EndpointBlockErrors, none{})
	return rep.Blocks, err
}

// BlockInfo describes a block as the node knows it.
func (a *Admin) BlockInfo(ctx context.Context, hash string) (BlockInfoReply, error) {
	return callJSON[BlockInfoReply](ctx, a, EndpointBlockInfo, BlockRequest{Hash: hash})
}

// BlockRetryNow makes blocks due for a resync now.
func (a *Admin) BlockRetryNow(ctx context.Context, req BlocksRequest) (int, error) {
	rep, err := callJSON[BlockRetryReply](ctx, a, EndpointBlockRetry, req)
	return rep.Queued, err
}

// BlockPurge gives up on blocks: the objects using them are deleted.
func (a *Admin) BlockPurge(ctx context.Context, req BlocksRequest) (BlockPurgeReply, error) {
	return callJSON[BlockPurgeReply](ctx, a, EndpointBlockPurge, req)
}
