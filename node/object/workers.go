package object

// maxStaleCount bounds StaleUploads' count.
const maxStaleCount = 10000

// StaleUploads returns how many versions this node stores have been
// uploading outside a multipart upload for longer than UploadTimeout
// (at most 10000): the abort worker's queue.
func (s *Service) StaleUploads() (int, error) {
	cutoff := s.env.Clock.Now().Add(-s.cfg.UploadTimeout).UnixMilli()
	if cutoff < 0 {
		return 0, nil
	}
	ups, err := s.t.StaleUploads(uint64(cutoff), maxStaleCount)
	return len(ups), err
}
